// Bounded, anchored patterns that recognise the values security data is made of; shared by profiling and SQL.

/** A dotted quad, each part 0-255 without leading zeros: the source of IPV4 and of IPV6_IPV4_TAIL's tail. */
const DOTTED_QUAD = String.raw`(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}`;
export const IPV4 = new RegExp(`^${DOTTED_QUAD}$`);
// Loose IPv6: eight hex groups, or fewer around one `::`; exactness is not needed to pick a column's role, but times
// (`08:30:11`) and MAC addresses (`00:1a:2b:3c:4d:5e`) must not pass.
export const IPV6 = /^(?=[0-9a-f:]{2,39}$)([0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}|([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,6})?::([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,6})?)$/i;
// IPv6 text ending in a dotted IPv4 address: the IPv4-mapped form Windows writes for IPv4 peers of a dual-stack socket
// (`::ffff:10.0.0.5` in logon events), the old compatible form and NAT64 (`64:ff9b::1.2.3.4`).
export const IPV6_IPV4_TAIL = new RegExp(String.raw`^(?=[0-9a-f:.]{9,45}$)(([0-9a-f]{1,4}:){6}|(([0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::([0-9a-f]{1,4}:){0,4})` + DOTTED_QUAD + '$', 'i');
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
  return IPV4.test(value) || (value.includes(':') && (IPV6.test(value) || IPV6_IPV4_TAIL.test(value)));
}

export function isHash(value: string): boolean {
  return MD5.test(value) || SHA1.test(value) || SHA256.test(value);
}

/** Extensions that are also the last label of file names; `invoice.pdf` is a file, not a domain. */
const FILE_EXTENSIONS = new Set(['exe', 'dll', 'sys', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'rar', 'txt', 'js', 'ps1', 'bat', 'cmd', 'sh', 'bin', 'dat', 'log', 'csv', 'json', 'xml', 'html', 'htm', 'php', 'asp', 'aspx', 'jpg', 'jpeg', 'png', 'gif', 'tmp', 'vbs', 'hta', 'lnk', 'iso', 'msi', 'jar', 'py']);

export function looksLikeDomain(value: string): boolean {
  if (!DOMAIN.test(value) || isIp(value)) return false;
  const tld = value.slice(value.lastIndexOf('.') + 1).toLowerCase();
  return !FILE_EXTENSIONS.has(tld);
}
