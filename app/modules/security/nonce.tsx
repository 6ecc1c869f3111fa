import { createContext, useContext, type ReactNode } from 'react';

// The per-request CSP nonce (made in scripts/server.mjs), handed to Remix's inline scripts.
const NonceContext = createContext<string>('');

export function NonceProvider({ value, children }: { value: string; children: ReactNode }) {
  return <NonceContext.Provider value={value}>{children}</NonceContext.Provider>;
}

export const useNonce = () => useContext(NonceContext);
