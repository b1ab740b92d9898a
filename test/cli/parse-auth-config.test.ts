// Parser tables for credentials and settings: auth login, status, logout; config path, list, get,
// set, unset. argv → what the command stores or prints, or the usage error, exit 2, nothing sent.
import { describe } from 'vitest';
import { parserTable, usage } from '../helpers/parser-table.js';

describe('auth login, status, logout', () => {
  parserTable([
    { argv: ['auth', 'logout', '--json'], code: 0, json: { profile: 'default', removed: false } },
    { argv: ['auth', 'logout', '--profile', 'staging', '--json'], code: 0, json: { profile: 'staging' } },
    usage(['auth', 'login', '--with-key'], 'no key on stdin'),
    usage(['auth', 'login', '--bogus'], "unknown option '--bogus'"),
    usage(['auth', 'status', 'extra'], "too many arguments for 'status'. Expected 0 arguments but got 1."),
    usage(['auth', 'logout', 'extra'], "too many arguments for 'logout'"),
  ]);
});

describe('config path, list, get, set, unset', () => {
  parserTable([
    { argv: ['config', 'path'], code: 0, stdout: /config\.json\n$/ },
    { argv: ['config', 'list', '--json'], code: 0, json: {} },
    {
      argv: ['config', 'set', 'api-url', 'http://127.0.0.1:4010', '--json'],
      code: 0,
      json: { key: 'api-url', value: 'http://127.0.0.1:4010' },
    },
    { argv: ['config', 'unset', 'api-url'], code: 0 },
    usage(['config', 'path', 'extra'], "too many arguments for 'path'"),
    usage(['config', 'list', 'extra'], "too many arguments for 'list'"),
    usage(['config', 'get'], "missing required argument 'key'"),
    usage(['config', 'get', 'nope'], 'unknown setting "nope"'),
    usage(['config', 'set', 'api-url'], "missing required argument 'value'"),
    usage(['config', 'set', 'api-url', 'ftp://x'], 'invalid api-url "ftp://x": use an http:// or https:// URL'),
    usage(['config', 'unset', 'nope'], 'unknown setting "nope"'),
  ]);
});
