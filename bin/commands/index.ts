import type { Command } from '../cli';
import { bench } from './bench';
import { list } from './list';
import { summary } from './summary';

/** Every command, in the order --help lists them. Each lives in its own file beside this one; add yours here. */
export const commands: Command[] = [list, summary, bench];
