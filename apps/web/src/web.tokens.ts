export const WEB_CONFIG = Symbol('jobstream:web-config');
