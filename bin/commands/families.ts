import { families as all } from '../../engine/families';
import { table, type Command } from '../cli';

export const families: Command = {
  name: 'families',
  summary: 'the generated question families: id, title, topic',
  usage: 'families',
  run() {
    const json = all.map((f) => ({ id: f.id, title: f.title, topic: f.topic }));
    return { json, text: table(['id', 'title', 'topic'], json.map((f) => [f.id, f.title, f.topic])) };
  },
};
