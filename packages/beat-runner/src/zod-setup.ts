// Config schemas parse a handful of objects once per run: zod's default of generating and
// compiling a parser per object schema (new Function, which no code cache keeps) costs a start more
// than it saves. Loaded before any module builds a schema (zod reads the setting then).
import { config } from 'zod';

config({ jitless: true });
