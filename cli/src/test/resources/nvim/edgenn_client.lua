-- Drives `edgenn lsp` from Neovim's built-in LSP client (Neovim 0.7, headless), as a user's config would:
-- vim.lsp.start_client + buf_attach_client. Reads a JSON spec (path in $EDGENN_SPEC), writes what the client
-- saw as JSON (diagnostics per file, hover texts, completion labels) and quits; exit code 1 on any failure.
local spec = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('EDGENN_SPEC')), '\n'))
local result = { diagnostics = {}, hovers = {}, completions = {}, errors = {} }

local function finish(code)
  vim.fn.writefile({ vim.fn.json_encode(result) }, spec.out)
  vim.cmd(code == 0 and 'qa!' or 'cquit 1')
end

local function fail(message)
  table.insert(result.errors, message)
  finish(1)
end

local published = {}
local root = spec.root ~= vim.NIL and spec.root or nil
local client_id = vim.lsp.start_client({
  name = 'edgenn',
  cmd = spec.cmd,
  root_dir = root,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
      published[vim.uri_to_fname(params.uri)] = true
      vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
    end,
    ['window/logMessage'] = function(_, params)
      if params.type == 1 then table.insert(result.errors, 'server logged: ' .. params.message) end
    end,
  },
  on_exit = function(code)
    if code ~= 0 then table.insert(result.errors, 'server exited with ' .. code) end
  end,
})
if not client_id then return fail('the client did not start') end

local buffers = {}
for _, file in ipairs(spec.files) do
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  buffers[file] = buf
  vim.lsp.buf_attach_client(buf, client_id)
end

-- diagnostics are pushed after the server built each file
local ok = vim.wait(120000, function()
  for _, file in ipairs(spec.files) do
    if not published[file] then return false end
  end
  return true
end, 100)
if not ok then return fail('no diagnostics for every file within 120 s') end
for file, buf in pairs(buffers) do
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { line = d.lnum, character = d.col, severity = d.severity, code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or vim.NIL, message = d.message })
  end
  result.diagnostics[file] = list
end

local client = vim.lsp.get_client_by_id(client_id)
local function ask(method, at)
  local params = { textDocument = { uri = vim.uri_from_fname(at.file) }, position = { line = at.line, character = at.character } }
  local response, err = client.request_sync(method, params, 60000, buffers[at.file])
  if not response then fail(method .. ': ' .. tostring(err)) return nil end
  if response.err then fail(method .. ' error response: ' .. vim.inspect(response.err)) return nil end
  return response.result
end

for _, at in ipairs(spec.hovers) do
  local hover = ask('textDocument/hover', at)
  if hover == nil then return end
  table.insert(result.hovers, hover.contents.value or vim.NIL)
end
for _, at in ipairs(spec.completions) do
  local completion = ask('textDocument/completion', at)
  if completion == nil then return end
  local labels = {}
  for _, item in ipairs(completion.items or completion) do table.insert(labels, item.label) end
  table.insert(result.completions, labels)
end

client.stop()
vim.wait(10000, function() return client.is_stopped() end, 100)
finish(#result.errors == 0 and 0 or 1)
