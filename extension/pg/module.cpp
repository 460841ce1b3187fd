// Library entry: the module magic block and one-time initialization.
#include "guard.hpp"
#include "pricing_cache.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);
}

// Called once when a backend loads the library: hook the price cache into invalidations.
void _PG_init(void) {
    costops::pg::register_pricing_cache_callbacks();
}
