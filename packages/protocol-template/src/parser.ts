// The template package tests all three framings; it uses the newline one by default. A generated
// package gets the chosen framing's parser in this file instead.
export * from './parser-newline';
