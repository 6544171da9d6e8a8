/**
 * The engine: builds the runtime model, starts the event loops, binds listeners, and stops gracefully or at once.
 * Its methods run on a control thread (main, runtime API), never on an event loop.
 */
package dev.tether.engine;
