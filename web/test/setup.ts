import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// React Flow measures nodes with ResizeObserver and DOMMatrix, which jsdom lacks.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
const g = globalThis as Record<string, unknown>;
g.ResizeObserver ??= ResizeObserverStub;
g.DOMMatrixReadOnly ??= class {
  m22 = 1;
  constructor() {}
};
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener() {},
      removeListener() {},
      addEventListener() {},
      removeEventListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

// findBy*/waitFor wait up to 5 s: rendering React Flow in jsdom can be slow under load.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => cleanup());
