/**
 * Sample expressions and conditions: the registries of fetches and converters, the expression compiler
 * ({@link dev.tether.rules.SampleExpression}, shared by ACLs, {@code balance hash} and stick rules), match methods
 * (ip, int, str, bin, bool, found) and the compiler that turns parsed ACLs into immutable
 * {@link dev.tether.rules.Condition}s. Compilation runs off the event loops (it may resolve host names); compiled
 * expressions and conditions are evaluated on the session's event loop, hold no mutable state, and read shared
 * state (stick tables, backends) only through thread-safe objects.
 */
package dev.tether.rules;
