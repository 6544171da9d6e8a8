/**
 * ACLs and conditions: the sample fetch and converter registries, match methods (ip, int, str, bin, bool, found)
 * and the compiler that turns parsed ACLs into immutable {@link dev.tether.rules.Condition}s. Compilation runs off
 * the event loops (it may resolve host names); compiled conditions are evaluated on the session's event loop and
 * hold no mutable state.
 */
package dev.tether.rules;
