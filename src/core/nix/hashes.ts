// sha256 hashes in every form Nix accepts in fetchTarball/fetchFromGitHub (checked with Nix
// 2.8): Nix base-32 (52 characters), SRI (`sha256-<base64>=`), `sha256:<base32 or hex>`, and
// 64 hex digits. Conversions between them, so a pin is recognised whatever form a file uses and
// a file can be rewritten to another form (a refactoring, never a fix: all forms are valid).

export type HashForm = 'base32' | 'sri' | 'sha256-prefixed' | 'hex';

/** Nix's base-32 alphabet: no e, o, u, t. */
const BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BYTES = 32;

/** The form of a sha256 as written, or undefined when Nix would refuse it. */
export function hashForm(text: string): HashForm | undefined {
  if (/^[0-9abcdfghijklmnpqrsvwxyz]{52}$/.test(text)) return 'base32';
  if (/^[0-9a-f]{64}$/i.test(text)) return 'hex';
  if (/^sha256-[A-Za-z0-9+/]{43}=$/.test(text)) return 'sri';
  if (/^sha256:([0-9abcdfghijklmnpqrsvwxyz]{52}|[0-9a-f]{64})$/i.test(text)) return 'sha256-prefixed';
  return undefined;
}

/** Nix's base-32 encoding (its own bit order: the last character holds the first bits). */
function toBase32(bytes: Uint8Array): string {
  const length = Math.ceil((bytes.length * 8) / 5);
  let out = '';
  for (let n = length - 1; n >= 0; n--) {
    const bit = n * 5;
    const i = Math.floor(bit / 8);
    const j = bit % 8;
    const value = (bytes[i]! >> j) | (i + 1 < bytes.length ? bytes[i + 1]! << (8 - j) : 0);
    out += BASE32[value & 0x1f];
  }
  return out;
}

function fromBase32(text: string): Uint8Array {
  const bytes = new Uint8Array(BYTES);
  for (let n = 0; n < text.length; n++) {
    const digit = BASE32.indexOf(text[text.length - n - 1]!);
    const bit = n * 5;
    const i = Math.floor(bit / 8);
    const j = bit % 8;
    bytes[i]! |= (digit << j) & 0xff;
    if (i + 1 < BYTES) bytes[i + 1]! |= digit >> (8 - j);
  }
  return bytes;
}

function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    buffer = (buffer << 6) | BASE64.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const count = Math.min(3, bytes.length - i);
    for (let k = 0; k < 4; k++) out += k <= count ? BASE64[(chunk >> (18 - 6 * k)) & 0x3f] : '=';
  }
  return out;
}

const fromHex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g)!.map((byte) => parseInt(byte, 16)));
const toHex = (bytes: Uint8Array): string => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');

/** The 32 bytes of a sha256 in any accepted form, or undefined. */
function bytesOf(text: string): Uint8Array | undefined {
  switch (hashForm(text)) {
    case 'base32':
      return fromBase32(text);
    case 'hex':
      return fromHex(text.toLowerCase());
    case 'sri':
      return fromBase64(text.slice('sha256-'.length));
    case 'sha256-prefixed':
      return bytesOf(text.slice('sha256:'.length));
    case undefined:
      return undefined;
  }
}

/** The same hash in another form (undefined when `text` is not a sha256 Nix accepts). */
export function convertHash(text: string, to: Exclude<HashForm, 'sha256-prefixed'>): string | undefined {
  const bytes = bytesOf(text);
  if (bytes === undefined) return undefined;
  switch (to) {
    case 'base32':
      return toBase32(bytes);
    case 'hex':
      return toHex(bytes);
    case 'sri':
      return `sha256-${toBase64(bytes)}`;
  }
}

/** The Nix base-32 form of any accepted sha256: how PPL Nix compares and stores hashes. */
export const normalHash = (text: string): string | undefined => convertHash(text, 'base32');
