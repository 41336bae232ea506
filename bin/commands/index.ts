import type { Command } from '../cli';
import { analytics } from './analytics';
import { bank } from './bank';
import { bench } from './bench';
import { db } from './db';
import { families } from './families';
import { grade } from './grade';
import { question } from './question';
import { queue } from './queue';
import { list } from './list';
import { optimize } from './optimize';
import { summary } from './summary';
import { user } from './user';
import { verify } from './verify';

/** Every command, in the order --help lists them. Each lives in its own file beside this one; add yours here. */
export const commands: Command[] = [list, summary, verify, families, question, grade, bank, user, queue, optimize, analytics, db, bench];
