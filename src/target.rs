//! KPI targets ("< 5", ">= 85%") and the statistics they are compared with.
