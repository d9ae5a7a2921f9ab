/** Hex digit tables (the JS side of hex encoding and decoding). */

export const HEX_HI = new Uint8Array(256);
export const HEX_LO = new Uint8Array(256);
export const HEX_VALUE = new Int8Array(128).fill(-1);
for (let b = 0; b < 256; b++) {
  HEX_HI[b] = "0123456789abcdef".charCodeAt(b >> 4);
  HEX_LO[b] = "0123456789abcdef".charCodeAt(b & 15);
}
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_VALUE[65 + c] = 10 + c;
  HEX_VALUE[97 + c] = 10 + c;
}

export function hexByte(b: number): string {
  return String.fromCharCode(HEX_HI[b]!, HEX_LO[b]!);
}
