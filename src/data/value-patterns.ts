// Bounded, anchored patterns that recognise the values security data is made of; shared by profiling and SQL.

export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// Loose IPv6: hex groups and colons, at least two colons; exactness is not needed to pick a column's role.
export const IPV6 = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i;
export const URL_VALUE = /^(https?|ftp|hxxps?):\/\/[^\s]{1,2048}$/i;
export const DOMAIN = /^(?=.{4,253}$)([a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$/i;
export const MD5 = /^[0-9a-f]{32}$/i;
export const SHA1 = /^[0-9a-f]{40}$/i;
export const SHA256 = /^[0-9a-f]{64}$/i;
export const EMAIL = /^[^\s@]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}$/i;
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
export const INTEGER = /^[+-]?\d{1,18}$/;
export const NUMBER = /^[+-]?(\d{1,18}(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;

export function isIp(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && IPV6.test(value));
}

export function isHash(value: string): boolean {
  return MD5.test(value) || SHA1.test(value) || SHA256.test(value);
}
