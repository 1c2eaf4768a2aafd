#pragma once

// The results browser's paged queries are the store's (its SQL stays with the schema): see models/store/resultsquery.h.
#include "models/store/resultsquery.h"
