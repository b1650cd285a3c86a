// Tokenises a rule file with the TextMate grammar, as VS Code does (vscode-textmate with the
// Oniguruma regular expressions), and prints one JSON line per token: [line, text, scopes].
// Run by tests/editor.rs: `node test/tokenize.js FILE` in editors/vscode, after `npm install`.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.tamga') return null;
      const file = path.join(__dirname, '..', 'syntaxes', 'tamga.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.tamga');
  const lines = fs.readFileSync(process.argv[2], 'utf8').split(/\r?\n/);
  let stack = vsctm.INITIAL;
  lines.forEach((line, n) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const text = line.substring(t.startIndex, t.endIndex);
      if (text.trim() !== '') {
        process.stdout.write(JSON.stringify([n, text, t.scopes.slice(1)]) + '\n');
      }
    }
    stack = r.ruleStack;
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
