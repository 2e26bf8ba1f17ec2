import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { buildCatalogue, EMPTY_CATALOGUE, type NodeCatalogue } from './catalogue';
import type { NodeCatalogueBody } from './types';

/** Where the catalogue comes from: the server in the app, a fixture in tests. */
export type CatalogueLoader = (signal: AbortSignal) => Promise<NodeCatalogueBody>;

export interface CatalogueState {
  catalogue: NodeCatalogue;
  status: 'loading' | 'ready' | 'error';
  error?: string;
  reload(): void;
}

const CatalogueContext = createContext<CatalogueState>({ catalogue: EMPTY_CATALOGUE, status: 'loading', reload() {} });

export function CatalogueProvider({ load, children }: { load: CatalogueLoader; children: ReactNode }) {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Omit<CatalogueState, 'reload'>>({ catalogue: EMPTY_CATALOGUE, status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, status: 'loading', error: undefined }));
    load(controller.signal)
      .then((body) => setState({ catalogue: buildCatalogue(body), status: 'ready' }))
      .catch((e: Error) => {
        if (controller.signal.aborted) return;
        setState({ catalogue: EMPTY_CATALOGUE, status: 'error', error: e.message || String(e) });
      });
    return () => controller.abort();
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  const value = useMemo(() => ({ ...state, reload }), [state, reload]);
  return <CatalogueContext.Provider value={value}>{children}</CatalogueContext.Provider>;
}

export function useCatalogue(): CatalogueState {
  return useContext(CatalogueContext);
}
