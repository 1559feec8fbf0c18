import BillingStore
import Metrics
import Prometheus

/// What `billingctl metrics` reports, in Prometheus text format.
///
/// The engine counts through the swift-metrics API; the backend is a Prometheus registry of this engine's own
/// rather than a process-wide `MetricsSystem.bootstrap`, so that each engine (and each test) reports only its own
/// figures. Queue sizes are gauges read from the database at scrape time: they are facts about the stored data,
/// not about this process, and stay right across restarts and other writers.
public final class BillingMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
        // Published at zero from the start, so a rate() over a fresh daemon has a first sample.
        invoicesGenerated(0)
        Counter(label: "billingd_imports_refused_total", factory: factory).increment(by: 0)
    }

    func invoicesGenerated(_ count: Int) {
        Counter(label: "billingd_invoices_generated_total", factory: factory).increment(by: count)
    }

    func importRefused() {
        Counter(label: "billingd_imports_refused_total", factory: factory).increment()
    }

    /// `command` must come from the router's fixed list (or be "unknown"): a label taken from the request itself
    /// would let any client grow the registry without bound.
    func controlRequest(command: String, ok: Bool) {
        Counter(label: "billingd_control_requests_total",
                dimensions: [("command", command), ("outcome", ok ? "ok" : "refused")], factory: factory).increment()
    }

    /// The exposition text, with the queue gauges refreshed from `counts`.
    func exposition(_ counts: StoreCounts) -> String {
        let gauges: [(String, [String], [String: Int])] = [
            ("billingd_templates", StatusReport.templateStatuses, counts.templates),
            ("billingd_invoices", StatusReport.invoiceStatuses, counts.invoices),
            ("billingd_outbox_messages", StatusReport.outboxStatuses, counts.outbox),
        ]
        for (name, known, values) in gauges {
            // Known statuses are reported even at zero; a status only another program wrote shows up as well.
            for status in Set(known).union(values.keys).sorted() {
                Gauge(label: name, dimensions: [("status", status)], factory: factory).record(values[status] ?? 0)
            }
        }
        return registry.emitToString()
    }
}
