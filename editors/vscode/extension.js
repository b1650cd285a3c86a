// The VS Code client of the tamga language server: starts `tamga lsp` (the program named by the
// `tamga.path` setting) for `.tamga` files and restarts it when the settings change.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function start() {
  const config = vscode.workspace.getConfiguration('tamga');
  const command = config.get('path') || 'tamga';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient(
    'tamga',
    'tamga',
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: 'file', language: 'tamga' }],
      initializationOptions: { lang: config.get('lang') || 'en', examples: config.get('examples') || '' },
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.tamga') },
    },
  );
  return client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `tamga: cannot start \`${command} lsp\` (${err.message || err}). ` +
        'Set "tamga.path" to the tamga program (Settings → tamga).',
    );
  });
}

async function restart() {
  if (client) {
    await client.stop().catch(() => {});
  }
  await start();
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('tamga.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['tamga.path', 'tamga.lang', 'tamga.examples'].some((s) => e.affectsConfiguration(s))) {
        restart();
      }
    }),
  );
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
