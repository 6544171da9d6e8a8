/**
 * Resolution of servers' names while Tether runs ({@code resolvers} sections, docs/resolvers.md): each name is asked
 * of the section's name servers every {@code timeout resolve}, and the answers move the servers that carry it, or put
 * them into maintenance when the name stops resolving for longer than the section holds.
 */
package dev.tether.resolve;
