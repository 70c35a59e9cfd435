/**
 * `node:stream` for memfs, whose ReadStream/WriteStream classes extend these at load time.
 * The JavaScript runtime's guest file system uses memfs's synchronous calls only.
 */
import { EventEmitter } from "events";

export class Readable extends EventEmitter {}
export class Writable extends EventEmitter {}
export default { Readable, Writable };
