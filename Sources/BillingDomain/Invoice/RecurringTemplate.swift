import Foundation

/// A recurring invoice template: the header and lines of 003_18b9e3a24ee33cc4.txt plus billingd's extensions.
public struct RecurringTemplate: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case active, paused, ended
    }

    public var id: Int64?
    /// The header's Id in the system it was imported from.
    public var sourceId: Int?
    public var recordGuid: String
    public var customerGuid: String
    public var employeeGuid: String?
    public var currency: Currency
    public var currencyRate: DecimalValue
    public var dueDays: Int
    public var customerNotes: String?
    public var createdOnUtc: String?
    public var customerReference: String?
    /// The RepeatVery text as imported, and what it means.
    public var repeatVery: String
    public var recurrence: Recurrence
    /// The schedule's anchor: run 0.
    public var runDate: LocalDateTime
    public var lastRunDate: LocalDateTime?
    public var storeCode: String?
    public var exported: String?
    public var timeZone: TimeZone
    public var endDate: LocalDate?
    public var maxRuns: Int?
    public var status: Status
    public var statusReason: String?
    public var pricesIncludeVat: Bool
    public var vatRounding: VatRounding
    public var roundingMode: RoundingMode
    public var lines: [TemplateLine]
    /// The index of the next run to invoice; NextRunDate is derived from it, so the two can never disagree.
    public var nextRunIndex: Int
    public var runsGenerated: Int

    public init(
        id: Int64? = nil, sourceId: Int? = nil, recordGuid: String, customerGuid: String, employeeGuid: String? = nil,
        currency: Currency, currencyRate: DecimalValue = DecimalValue(1), dueDays: Int,
        customerNotes: String? = nil, createdOnUtc: String? = nil, customerReference: String? = nil,
        repeatVery: String, recurrence: Recurrence, runDate: LocalDateTime, lastRunDate: LocalDateTime? = nil,
        storeCode: String? = nil, exported: String? = nil, timeZone: TimeZone, endDate: LocalDate? = nil,
        maxRuns: Int? = nil, status: Status = .active, statusReason: String? = nil, pricesIncludeVat: Bool = false,
        vatRounding: VatRounding = .perLine, roundingMode: RoundingMode = .halfUp, lines: [TemplateLine],
        nextRunIndex: Int = 0, runsGenerated: Int = 0
    ) {
        self.id = id
        self.sourceId = sourceId
        self.recordGuid = recordGuid
        self.customerGuid = customerGuid
        self.employeeGuid = employeeGuid
        self.currency = currency
        self.currencyRate = currencyRate
        self.dueDays = dueDays
        self.customerNotes = customerNotes
        self.createdOnUtc = createdOnUtc
        self.customerReference = customerReference
        self.repeatVery = repeatVery
        self.recurrence = recurrence
        self.runDate = runDate
        self.lastRunDate = lastRunDate
        self.storeCode = storeCode
        self.exported = exported
        self.timeZone = timeZone
        self.endDate = endDate
        self.maxRuns = maxRuns
        self.status = status
        self.statusReason = statusReason
        self.pricesIncludeVat = pricesIncludeVat
        self.vatRounding = vatRounding
        self.roundingMode = roundingMode
        self.lines = lines
        self.nextRunIndex = nextRunIndex
        self.runsGenerated = runsGenerated
    }

    public var schedule: Schedule {
        Schedule(anchor: runDate, recurrence: recurrence, timeZone: timeZone, endDate: endDate, maxRuns: maxRuns)
    }

    /// The next run still to invoice, or nil when the schedule has ended.
    public var nextRun: ScheduledRun? { schedule.run(nextRunIndex) }

    /// The invoice every run of this template produces (the lines do not vary between runs).
    public func calculate() throws -> InvoiceCalculation {
        try InvoiceCalculator.calculate(
            lines: try lines.map { try $0.input(headerPricesIncludeVat: pricesIncludeVat) },
            currency: currency, vatRounding: vatRounding, roundingMode: roundingMode)
    }
}

/// One line of a recurring template (RecurringInvoiceLine).
public struct TemplateLine: Sendable, Hashable {
    public var sourceId: Int?
    public var lineGuid: String
    public var lineType: Int?
    public var productGuid: String?
    public var productDescription: String?
    public var quantity: DecimalValue
    public var batchNumber: String?
    public var expiryDate: String?
    public var unitPrice: DecimalValue
    public var unitCost: DecimalValue
    public var sku: String?
    public var taxCategoryId: Int?
    public var taxRate: DecimalValue
    public var discountPercent: DecimalValue
    /// Overrides the header's price mode when set.
    public var priceIncludesVat: Bool?

    public init(
        sourceId: Int? = nil, lineGuid: String, lineType: Int? = nil, productGuid: String? = nil,
        productDescription: String? = nil, quantity: DecimalValue, batchNumber: String? = nil,
        expiryDate: String? = nil, unitPrice: DecimalValue, unitCost: DecimalValue = DecimalValue(0),
        sku: String? = nil, taxCategoryId: Int? = nil, taxRate: DecimalValue,
        discountPercent: DecimalValue = DecimalValue(0), priceIncludesVat: Bool? = nil
    ) {
        self.sourceId = sourceId
        self.lineGuid = lineGuid
        self.lineType = lineType
        self.productGuid = productGuid
        self.productDescription = productDescription
        self.quantity = quantity
        self.batchNumber = batchNumber
        self.expiryDate = expiryDate
        self.unitPrice = unitPrice
        self.unitCost = unitCost
        self.sku = sku
        self.taxCategoryId = taxCategoryId
        self.taxRate = taxRate
        self.discountPercent = discountPercent
        self.priceIncludesVat = priceIncludesVat
    }

    public func input(headerPricesIncludeVat: Bool) throws -> InvoiceLineInput {
        try InvoiceLineInput(
            quantity: quantity, unitPrice: unitPrice, unitCost: unitCost, taxRate: taxRate,
            discountPercent: discountPercent, priceIncludesVat: priceIncludesVat ?? headerPricesIncludeVat)
    }
}
