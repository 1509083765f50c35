// The bearer token lives in sessionStorage only (gone with the tab). A sign-in link carries it in
// the URL fragment (#token=…), which browsers never send to a server, so it is in no access log;
// it is moved to sessionStorage and the fragment is cleared at once.

const key = 'waymark.token';

export const takeTokenFromFragment = () => {
  const match = /(?:^#|&)token=([A-Za-z0-9._~+/=-]+)/.exec(location.hash);
  if (match === null) return;
  sessionStorage.setItem(key, match[1]);
  history.replaceState(null, '', `${location.pathname}${location.search}#/funnel`);
};

export const token = () => sessionStorage.getItem(key);
export const signIn = (value) => sessionStorage.setItem(key, value.trim());
export const signOut = () => sessionStorage.removeItem(key);

/**
 * The token's claims, for display only (role, tenant). The API checks the signature and decides
 * what the caller may see; the console never trusts these for access.
 */
export const claims = () => {
  const t = token();
  if (t === null) return null;
  try {
    const part = t.split('.')[1] ?? '';
    const json = atob(part.replaceAll('-', '+').replaceAll('_', '/'));
    return JSON.parse(json);
  } catch {
    return {};
  }
};
