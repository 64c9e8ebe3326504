// Starts `edgenn lsp` (stdio) for .edgenn files; every feature comes from the server.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('edgenn').get('command') || 'edgenn';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('edgenn', 'EdgeNN', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'edgenn' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.edgenn') }
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
