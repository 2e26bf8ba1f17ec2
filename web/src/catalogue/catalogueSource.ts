import { defaultApiClient } from '../api/client';
import type { CatalogueLoader } from './CatalogueContext';

/** The app's catalogue: `GET /api/v1/nodes` on the serving origin. */
export const loadCatalogueFromServer: CatalogueLoader = (signal) => defaultApiClient.getNodeCatalogue(signal);
