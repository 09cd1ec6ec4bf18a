/** Base URL the public read API is reached at (for links in JSON-LD). */
export const LISTINGS_PUBLIC_URL = Symbol('jobstream:listings-public-url');
