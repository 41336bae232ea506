import { zoo } from '../../engine/zoo/index';
import { table, type Command } from '../cli';

export const list: Command = {
  name: 'list',
  summary: 'the architecture zoo: id, name, year',
  usage: 'list [--json]',
  run() {
    const rows = zoo.map((e) => ({ id: e.id, name: e.name, year: e.year }));
    return { json: rows, text: table(['id', 'name', 'year'], rows.map((r) => [r.id, r.name, String(r.year)])) };
  },
};
