// prepack: copies packages/protocol-template into template/ so the published generator carries
// the template (the folder is git-ignored and excluded from lint; the repository's copy is the source).
// postpack (`--remove`): deletes the copy again, so that its tests (protocol-template's, which run in
// that package's jest project and in every generated package) never linger as untested duplicates.
const fs = require('fs');
const path = require('path');

const source = path.resolve(__dirname, '..', '..', 'protocol-template');
const target = path.resolve(__dirname, '..', 'template');
const entries = ['package.json', 'tsconfig.json', 'jest.config.js', 'README.md', 'src', 'test', 'scripts'];

if (process.argv.includes('--remove')) {
  fs.rmSync(target, { recursive: true, force: true });
  console.log(`copy-template: removed ${target}`);
  process.exit(0);
}
if (!fs.existsSync(path.join(source, 'src', 'index.ts'))) {
  console.error(`copy-template: protocol template not found at ${source}`);
  process.exit(1);
}
fs.rmSync(target, { recursive: true, force: true });
for (const entry of entries) {
  const from = path.join(source, entry);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(target, entry), { recursive: true });
}
console.log(`copy-template: ${source} -> ${target}`);
