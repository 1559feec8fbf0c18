#include <sqlite3.h>

/// sqlite3_config is variadic, so Swift cannot call it: turns off SQLite's memory statistics, which take a
/// global mutex on every allocation. Must run before the library initialises (before the first open); later it
/// returns SQLITE_MISUSE and changes nothing.
static inline int billingd_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
