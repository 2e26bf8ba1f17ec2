import { ReactFlowProvider } from '@xyflow/react';
import { defaultApiClient, type ApiClient } from './api/client';
import { CatalogueProvider, type CatalogueLoader } from './catalogue/CatalogueContext';
import { loadCatalogueFromServer } from './catalogue/catalogueSource';
import { EditorPage } from './components/EditorPage';
import { ToastProvider } from './components/Toasts';

interface AppProps {
  api?: ApiClient;
  loadCatalogue?: CatalogueLoader;
}

/** The whole application; tests pass their own API client and catalogue. */
export function App({ api = defaultApiClient, loadCatalogue = loadCatalogueFromServer }: AppProps) {
  return (
    <CatalogueProvider load={loadCatalogue}>
      <ToastProvider>
        <ReactFlowProvider>
          <EditorPage api={api} />
        </ReactFlowProvider>
      </ToastProvider>
    </CatalogueProvider>
  );
}
