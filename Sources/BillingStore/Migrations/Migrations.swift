import BillingDomain

/// A named schema change. Migrations are append-only: once released, a migration's name and SQL never change;
/// a later change is a new migration at the end of the list.
struct Migration: Sendable {
    let name: String
    let sql: String
}

enum Migrations {
    static let all: [Migration] = [
        Migration(name: "001_initial_schema", sql: initialSchema),
        Migration(name: "002_dunning", sql: dunning),
        Migration(name: "003_invoice_state", sql: invoiceState),
        Migration(name: "004_invoice_snapshot", sql: invoiceSnapshot),
        Migration(name: "005_list_paging", sql: listPaging),
        Migration(name: "006_outbox_wake", sql: outboxWake),
        Migration(name: "007_outbox_leases", sql: outboxLeases),
    ]

    /// Applies every migration not yet recorded, each in its own transaction, at start-up.
    ///
    /// A database that knows migrations this build does not (written by a newer billingd) is refused rather
    /// than used: an older binary could otherwise bill against a schema it does not understand.
    static func migrate(_ db: SQLiteConnection, now: Int64) throws -> [String] {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name TEXT PRIMARY KEY NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT
            """)
        let applied = Set(try db.prepare("SELECT name FROM schema_migrations").all { $0.text(0) })
        let known = Set(all.map(\.name))
        if let unknown = applied.subtracting(known).sorted().first {
            throw BillingError(
                .storageError,
                "The database was migrated by a newer billingd (migration \(unknown) is unknown to this build); refusing to use it.")
        }
        var ran: [String] = []
        for migration in all where !applied.contains(migration.name) {
            try db.transaction {
                try db.execute(migration.sql)
                try checkForeignKeys(after: migration, db)
                try db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)")
                    .bind(.text(migration.name), .integer(now)).run()
            }
            ran.append(migration.name)
        }
        return ran
    }

    /// SQLite does not check foreign keys on rows a migration copies or rebuilds, nor on rows another program
    /// wrote with `foreign_keys` off; a migration that leaves a dangling reference fails and is rolled back, so
    /// billingd never starts on a schema whose references it cannot trust.
    static func checkForeignKeys(after migration: Migration, _ db: SQLiteConnection) throws {
        let violations = try db.prepare("PRAGMA foreign_key_check").all {
            (table: $0.text(0), rowid: $0.optionalInt64(1), parent: $0.text(2))
        }
        guard let first = violations.first else { return }
        let tables = Array(Set(violations.map(\.table))).sorted()
        throw BillingError(
            .foreignKeyViolation,
            "Migration \(migration.name) failed: \(violations.count) row(s) of \(tables.joined(separator: ", ")) refer to "
                + "rows that do not exist (first: \(first.table) row \(first.rowid.map(String.init) ?? "?") → \(first.parent)); "
                + "the migration was rolled back. Find them with PRAGMA foreign_key_check in the sqlite3 shell.",
            field: first.table)
    }

    /// When an invoice's next reminder falls due: the dunning pass reads only the rows whose time has come.
    static let dunning = """
        ALTER TABLE invoices ADD COLUMN next_reminder_at INTEGER;
        CREATE INDEX invoices_reminders ON invoices (next_reminder_at) WHERE status = 'PastDue';
        """

    /// The life-cycle state (status, past-due instant, dunning, paid, balance) moves out of the wide `invoices`
    /// row into a narrow row of its own, keyed by the invoice id. The sweep marks half a million invoices at a
    /// time: on `invoices` every table page holds only a dozen rows (number, dates, zone, currency, totals,
    /// reference, notes) and the overdue ones are interleaved with the rest, so it rewrote nearly every page of
    /// the table (5.7 s at a million invoices); the narrow rows pack ~150 to a page (README, "Performance").
    ///
    /// Existing rows are copied, then the old columns are dropped rather than kept unused: a column left behind
    /// would still need a value on every insert and could be read by mistake. Each `DROP COLUMN` rewrites the
    /// table once, a one-time cost at start-up (tens of seconds at a million invoices). `invoices_status` goes
    /// without a successor: counting by status now reads the narrow table, which is about as small as that index
    /// was, and the sweep no longer has to move two index entries per invoice it marks. The reminders index leaves
    /// out PastDue invoices with no reminder to come (no dunning configured, or the last one sent): a sweep without
    /// dunning adds no entry at all, and finished invoices do not pile up under a NULL key.
    static let invoiceState = """
        CREATE TABLE invoice_state (
            invoice_id INTEGER PRIMARY KEY REFERENCES invoices(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('Draft', 'Due', 'PastDue', 'Paid', 'Canceled')),
            past_due_at INTEGER NOT NULL,
            next_reminder_at INTEGER,
            dunning_level INTEGER NOT NULL DEFAULT 0,
            paid INTEGER NOT NULL DEFAULT 0,
            balance INTEGER NOT NULL
        ) STRICT;
        INSERT INTO invoice_state (invoice_id, status, past_due_at, next_reminder_at, dunning_level, paid, balance)
            SELECT id, status, past_due_at, next_reminder_at, dunning_level, paid, balance FROM invoices;
        DROP INDEX invoices_past_due;
        DROP INDEX invoices_reminders;
        DROP INDEX invoices_status;
        ALTER TABLE invoices DROP COLUMN status;
        ALTER TABLE invoices DROP COLUMN past_due_at;
        ALTER TABLE invoices DROP COLUMN next_reminder_at;
        ALTER TABLE invoices DROP COLUMN dunning_level;
        ALTER TABLE invoices DROP COLUMN paid;
        ALTER TABLE invoices DROP COLUMN balance;
        CREATE INDEX invoice_state_past_due ON invoice_state (past_due_at) WHERE status = 'Due';
        CREATE INDEX invoice_state_reminders ON invoice_state (next_reminder_at)
            WHERE status = 'PastDue' AND next_reminder_at IS NOT NULL;
        """

    /// What an invoice must keep as it was at issue (DESIGN.md §2, §3): the supply date beside the issue date,
    /// and the buyer's name and billing address, so a re-imported customer does not change an invoice already
    /// sent. Invoices from before had one date, which was both (the run's date); their buyer is taken from the
    /// customer row as it stands at the upgrade, the best record of it there is.
    static let invoiceSnapshot = """
        ALTER TABLE invoices ADD COLUMN supply_date TEXT;
        ALTER TABLE invoices ADD COLUMN buyer_name TEXT;
        ALTER TABLE invoices ADD COLUMN buyer_address_line1 TEXT;
        ALTER TABLE invoices ADD COLUMN buyer_address_line2 TEXT;
        ALTER TABLE invoices ADD COLUMN buyer_postal_code TEXT;
        ALTER TABLE invoices ADD COLUMN buyer_city TEXT;
        ALTER TABLE invoices ADD COLUMN buyer_country TEXT;
        UPDATE invoices SET supply_date = issue_date,
            buyer_name = coalesce(nullif(c.company_name, ''),
                                  nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), ''),
                                  c.guid),
            buyer_address_line1 = c.address_line1, buyer_address_line2 = c.address_line2,
            buyer_postal_code = c.postal_code, buyer_city = c.city, buyer_country = c.country
        FROM customers c WHERE c.id = invoices.customer_id;
        """

    /// `invoices list --customer` pages a customer's invoices newest first: an index on the customer (its entries
    /// end in the row id) reads one page of them in id order instead of every invoice. The other lists and
    /// filters page on an existing index or the row id itself.
    static let listPaging = """
        CREATE INDEX invoices_customer ON invoices (customer_id);
        """

    /// The outbox's next wake (a pending row's next attempt, a claimed row's lease) keyed by the instant itself, so
    /// the drain's wake is one seek. On `outbox_due` the same minimum read every pending and claimed row.
    static let outboxWake = """
        CREATE INDEX outbox_wake ON outbox (CASE status WHEN 'pending' THEN next_attempt_at ELSE lease_until END)
            WHERE status IN ('pending', 'sending');
        """

    /// 006's index cost every generated invoice two more index entries (generation CPU +15 % at 100k). The pending
    /// half of the wake is `outbox_due`'s first pending entry (past the claimed rows, which are the ones in flight),
    /// and the claimed half gets an index of its own, which only claimed rows enter: generation writes nothing to it.
    static let outboxLeases = """
        DROP INDEX outbox_wake;
        CREATE INDEX outbox_leases ON outbox (lease_until) WHERE status = 'sending';
        """

    // Money columns hold integer minor units; quantities, prices and rates hold exact decimal text as given.
    // Instants are Unix seconds (UTC); local dates and wall times are ISO text in the row's time zone.
    static let initialSchema = """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            first_name TEXT,
            last_name TEXT,
            company_name TEXT,
            email TEXT,
            mobile_phone TEXT,
            email_consent INTEGER CHECK (email_consent IN (0, 1)),
            sms_consent INTEGER NOT NULL DEFAULT 0 CHECK (sms_consent IN (0, 1)),
            language TEXT,
            address_line1 TEXT,
            address_line2 TEXT,
            postal_code TEXT,
            city TEXT,
            country TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE templates (
            id INTEGER PRIMARY KEY,
            record_guid TEXT NOT NULL UNIQUE,
            source_id INTEGER,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            employee_guid TEXT,
            currency TEXT NOT NULL,
            currency_rate TEXT NOT NULL,
            due_days INTEGER NOT NULL,
            customer_notes TEXT,
            created_on_utc TEXT,
            customer_reference TEXT,
            repeat_very TEXT NOT NULL,
            run_date TEXT NOT NULL,
            next_run_date TEXT,
            last_run_date TEXT,
            store_code TEXT,
            exported TEXT,
            total_inc_vat INTEGER NOT NULL,
            total_exc_vat INTEGER NOT NULL,
            total_vat INTEGER NOT NULL,
            total_cost INTEGER NOT NULL,
            time_zone TEXT NOT NULL,
            end_date TEXT,
            max_runs INTEGER,
            status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
            status_reason TEXT,
            prices_include_vat INTEGER NOT NULL CHECK (prices_include_vat IN (0, 1)),
            vat_rounding TEXT NOT NULL,
            rounding_mode TEXT NOT NULL,
            next_run_index INTEGER NOT NULL,
            next_run_at INTEGER,
            runs_generated INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX templates_due ON templates (next_run_at) WHERE status = 'active';
        CREATE INDEX templates_customer ON templates (customer_id);

        CREATE TABLE template_lines (
            id INTEGER PRIMARY KEY,
            template_id INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            line_guid TEXT NOT NULL,
            source_id INTEGER,
            line_type INTEGER,
            product_guid TEXT,
            product_description TEXT,
            quantity TEXT NOT NULL,
            batch_number TEXT,
            expiry_date TEXT,
            unit_price TEXT NOT NULL,
            unit_cost TEXT NOT NULL,
            total_price_inc INTEGER NOT NULL,
            total_price_exc INTEGER NOT NULL,
            sku TEXT,
            tax_category_id INTEGER,
            tax_rate TEXT NOT NULL,
            discount_percent TEXT NOT NULL,
            price_includes_vat INTEGER CHECK (price_includes_vat IN (0, 1)),
            UNIQUE (template_id, line_guid),
            UNIQUE (template_id, position)
        ) STRICT;

        CREATE TABLE template_events (
            id INTEGER PRIMARY KEY,
            template_id INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            type TEXT NOT NULL,
            message TEXT NOT NULL
        ) STRICT;
        CREATE INDEX template_events_template ON template_events (template_id, id);

        CREATE TABLE number_series (
            name TEXT PRIMARY KEY NOT NULL,
            last_value INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE invoices (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            series TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            template_id INTEGER REFERENCES templates(id),
            run_index INTEGER,
            run_at INTEGER,
            run_at_local TEXT,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            status TEXT NOT NULL CHECK (status IN ('Draft', 'Due', 'PastDue', 'Paid', 'Canceled')),
            issue_date TEXT NOT NULL,
            due_date TEXT NOT NULL,
            past_due_at INTEGER NOT NULL,
            period_start TEXT,
            period_end TEXT,
            time_zone TEXT NOT NULL,
            currency TEXT NOT NULL,
            currency_rate TEXT NOT NULL,
            total_exc_vat INTEGER NOT NULL,
            total_vat INTEGER NOT NULL,
            total_inc_vat INTEGER NOT NULL,
            total_cost INTEGER NOT NULL,
            paid INTEGER NOT NULL DEFAULT 0,
            balance INTEGER NOT NULL,
            payment_reference TEXT NOT NULL,
            dunning_level INTEGER NOT NULL DEFAULT 0,
            generated_at INTEGER NOT NULL,
            customer_notes TEXT,
            customer_reference TEXT,
            UNIQUE (template_id, run_index),
            UNIQUE (series, sequence)
        ) STRICT;
        CREATE INDEX invoices_past_due ON invoices (past_due_at) WHERE status = 'Due';
        CREATE INDEX invoices_status ON invoices (status, id);

        CREATE TABLE invoice_lines (
            invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            line_guid TEXT,
            description TEXT,
            sku TEXT,
            quantity TEXT NOT NULL,
            unit_price TEXT NOT NULL,
            discount_percent TEXT NOT NULL,
            tax_rate TEXT NOT NULL,
            net INTEGER NOT NULL,
            vat INTEGER NOT NULL,
            gross INTEGER NOT NULL,
            cost INTEGER NOT NULL,
            -- Clustered by invoice: one b-tree, and an invoice's lines sit together.
            PRIMARY KEY (invoice_id, position)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE invoice_vat (
            invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
            rate TEXT NOT NULL,
            net INTEGER NOT NULL,
            vat INTEGER NOT NULL,
            PRIMARY KEY (invoice_id, rate)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE payments (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            type TEXT NOT NULL CHECK (type IN ('ach', 'cash', 'cc', 'check')),
            ref_no TEXT,
            payment_date TEXT NOT NULL,
            payer_name TEXT,
            payer_email TEXT,
            notes TEXT,
            created_at INTEGER NOT NULL,
            UNIQUE (invoice_id, ref_no)
        ) STRICT;

        CREATE TABLE invoice_history (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            type TEXT NOT NULL,
            channel TEXT,
            target TEXT,
            error_code TEXT,
            error_message TEXT,
            detail TEXT
        ) STRICT;
        CREATE INDEX invoice_history_invoice ON invoice_history (invoice_id, id);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER REFERENCES invoices(id),
            channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'post')),
            kind TEXT NOT NULL,
            recipient TEXT NOT NULL,
            language TEXT,
            idempotency_key TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'withdrawn')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_until INTEGER,
            last_error_code TEXT,
            last_error TEXT,
            provider_message_id TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            sent_at INTEGER
        ) STRICT;
        CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
        CREATE INDEX outbox_invoice ON outbox (invoice_id);

        CREATE TABLE outbox_attempts (
            id INTEGER PRIMARY KEY,
            outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            error_code TEXT,
            error_message TEXT
        ) STRICT;
        """
}
