/// `templates list`: one page of templates, newest first.
public struct TemplateListAnswer: Codable, Sendable, Equatable {
    public var templates: [TemplateSummary]
    public var next: String?

    public init(templates: [TemplateSummary], next: String?) {
        self.templates = templates
        self.next = next
    }
}

/// One template in a list.
public struct TemplateSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var recordGuid: String
    public var customerGuid: String
    public var repeatVery: String
    public var status: String
    public var nextRunDate: String?
    public var timeZone: String
    public var currency: String
    public var totalIncVat: String

    public init(
        id: Int64,
        recordGuid: String,
        customerGuid: String,
        repeatVery: String,
        status: String,
        nextRunDate: String?,
        timeZone: String,
        currency: String,
        totalIncVat: String
    ) {
        self.id = id
        self.recordGuid = recordGuid
        self.customerGuid = customerGuid
        self.repeatVery = repeatVery
        self.status = status
        self.nextRunDate = nextRunDate
        self.timeZone = timeZone
        self.currency = currency
        self.totalIncVat = totalIncVat
    }
}

/// `templates show`: a stored template, header and lines in the import document's own field names, so what was
/// imported can be compared field by field.
public struct TemplateAnswer: Codable, Sendable, Equatable {
    public var id: Int64
    public var status: String
    public var statusReason: String?
    public var runsGenerated: Int
    public var header: TemplateHeader
    public var lines: [TemplateLineAnswer]

    public init(
        id: Int64,
        status: String,
        statusReason: String?,
        runsGenerated: Int,
        header: TemplateHeader,
        lines: [TemplateLineAnswer]
    ) {
        self.id = id
        self.status = status
        self.statusReason = statusReason
        self.runsGenerated = runsGenerated
        self.header = header
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey {
        case id
        case status
        case statusReason
        case runsGenerated
        case header = "Header"
        case lines = "Lines"
    }
}

/// A template's header as the import document names it, with the totals computed.
public struct TemplateHeader: Codable, Sendable, Equatable {
    public var id: Int?
    public var recordGuid: String
    public var customerGUID: String
    public var employeeGUID: String?
    public var currencyRate: String
    public var dueDays: Int
    public var customerNotes: String?
    public var createdOnUtc: String?
    public var customerReference: String?
    public var repeatVery: String
    public var runDate: String
    public var nextRunDate: String?
    public var lastRunDate: String?
    public var storeCode: String?
    public var exported: String?
    public var totalIncVat: String
    public var totalExcVat: String
    public var totalCost: String
    public var currency: String
    public var timeZone: String
    public var pricesIncludeVat: Bool
    public var vatRounding: String
    public var roundingMode: String
    public var endDate: String?
    public var maxRuns: Int?

    public init(
        id: Int?,
        recordGuid: String,
        customerGUID: String,
        employeeGUID: String?,
        currencyRate: String,
        dueDays: Int,
        customerNotes: String?,
        createdOnUtc: String?,
        customerReference: String?,
        repeatVery: String,
        runDate: String,
        nextRunDate: String?,
        lastRunDate: String?,
        storeCode: String?,
        exported: String?,
        totalIncVat: String,
        totalExcVat: String,
        totalCost: String,
        currency: String,
        timeZone: String,
        pricesIncludeVat: Bool,
        vatRounding: String,
        roundingMode: String,
        endDate: String?,
        maxRuns: Int?
    ) {
        self.id = id
        self.recordGuid = recordGuid
        self.customerGUID = customerGUID
        self.employeeGUID = employeeGUID
        self.currencyRate = currencyRate
        self.dueDays = dueDays
        self.customerNotes = customerNotes
        self.createdOnUtc = createdOnUtc
        self.customerReference = customerReference
        self.repeatVery = repeatVery
        self.runDate = runDate
        self.nextRunDate = nextRunDate
        self.lastRunDate = lastRunDate
        self.storeCode = storeCode
        self.exported = exported
        self.totalIncVat = totalIncVat
        self.totalExcVat = totalExcVat
        self.totalCost = totalCost
        self.currency = currency
        self.timeZone = timeZone
        self.pricesIncludeVat = pricesIncludeVat
        self.vatRounding = vatRounding
        self.roundingMode = roundingMode
        self.endDate = endDate
        self.maxRuns = maxRuns
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case recordGuid = "RecordGuid"
        case customerGUID = "CustomerGUID"
        case employeeGUID = "EmployeeGUID"
        case currencyRate = "CurrencyRate"
        case dueDays = "DueDays"
        case customerNotes = "CustomerNotes"
        case createdOnUtc = "CreatedOnUtc"
        case customerReference = "CustomerReference"
        case repeatVery = "RepeatVery"
        case runDate = "RunDate"
        case nextRunDate = "NextRunDate"
        case lastRunDate = "LastRunDate"
        case storeCode = "StoreCode"
        case exported = "Exported"
        case totalIncVat = "TotalIncVat"
        case totalExcVat = "TotalExcVat"
        case totalCost = "TotalCost"
        case currency = "Currency"
        case timeZone = "TimeZone"
        case pricesIncludeVat = "PricesIncludeVat"
        case vatRounding = "VatRounding"
        case roundingMode = "RoundingMode"
        case endDate = "EndDate"
        case maxRuns = "MaxRuns"
    }
}

/// A template line as the import document names it, with its computed amounts.
public struct TemplateLineAnswer: Codable, Sendable, Equatable {
    public var id: Int?
    public var recurringInvoiceGuid: String
    public var lineGuid: String
    public var lineType: Int?
    public var productGUID: String?
    public var productDescription: String?
    public var quantity: String
    public var batchNumber: String?
    public var expiryDate: String?
    public var unitPrice: String
    public var unitCost: String
    public var totalPriceInc: String
    public var totalPriceExc: String
    public var sku: String?
    public var taxCategoryId: Int?
    public var taxRate: String
    public var discountPercent: String
    public var priceIncludesVat: Bool?

    public init(
        id: Int?,
        recurringInvoiceGuid: String,
        lineGuid: String,
        lineType: Int?,
        productGUID: String?,
        productDescription: String?,
        quantity: String,
        batchNumber: String?,
        expiryDate: String?,
        unitPrice: String,
        unitCost: String,
        totalPriceInc: String,
        totalPriceExc: String,
        sku: String?,
        taxCategoryId: Int?,
        taxRate: String,
        discountPercent: String,
        priceIncludesVat: Bool?
    ) {
        self.id = id
        self.recurringInvoiceGuid = recurringInvoiceGuid
        self.lineGuid = lineGuid
        self.lineType = lineType
        self.productGUID = productGUID
        self.productDescription = productDescription
        self.quantity = quantity
        self.batchNumber = batchNumber
        self.expiryDate = expiryDate
        self.unitPrice = unitPrice
        self.unitCost = unitCost
        self.totalPriceInc = totalPriceInc
        self.totalPriceExc = totalPriceExc
        self.sku = sku
        self.taxCategoryId = taxCategoryId
        self.taxRate = taxRate
        self.discountPercent = discountPercent
        self.priceIncludesVat = priceIncludesVat
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case recurringInvoiceGuid = "RecurringInvoiceGuid"
        case lineGuid = "LineGuid"
        case lineType = "LineType"
        case productGUID = "ProductGUID"
        case productDescription = "ProductDescription"
        case quantity = "Quantity"
        case batchNumber = "BatchNumber"
        case expiryDate = "ExpiryDate"
        case unitPrice = "UnitPrice"
        case unitCost = "UnitCost"
        case totalPriceInc = "TotalPriceInc"
        case totalPriceExc = "TotalPriceExc"
        case sku = "Sku"
        case taxCategoryId = "TaxCategoryId"
        case taxRate = "TaxRate"
        case discountPercent = "DiscountPercent"
        case priceIncludesVat = "PriceIncludesVat"
    }
}
