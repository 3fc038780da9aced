// What every page needs without each handler passing it: the CSRF token for its forms and the
// support contact for its dead ends.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface SupportContact {
  email: string;
  phone: string;
}

export interface PageContextValue {
  csrfToken: () => string;
  support: SupportContact;
  signedInAs: { name: string; isAdmin: boolean } | null;
}

export const PageContext = createContext<PageContextValue>({
  csrfToken: () => {
    throw new Error('Pages must be rendered with sendPage()');
  },
  support: { email: '', phone: '' },
  signedInAs: null,
});

export const usePage = () => useContext(PageContext);
