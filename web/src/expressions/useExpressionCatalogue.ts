import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { ExpressionCatalogueBody } from '../api/types';

const EMPTY: ExpressionCatalogueBody = { functions: [], methods: [] };

/** The server's list of expression functions and methods (fetched once; empty when unavailable). */
export function useExpressionCatalogue(api: ApiClient): ExpressionCatalogueBody {
  const [catalogue, setCatalogue] = useState<ExpressionCatalogueBody>(EMPTY);
  useEffect(() => {
    if (!api.getExpressionCatalogue) return;
    const controller = new AbortController();
    api.getExpressionCatalogue(controller.signal).then(setCatalogue, () => undefined);
    return () => controller.abort();
  }, [api]);
  return catalogue;
}
