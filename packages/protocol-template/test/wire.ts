// The template's tests use the newline framing by default; a generated package gets the chosen
// framing's encoder in this file instead.
export * from './wire-newline';
