/**
 * HAProxy configuration language (TCP subset): lexer, conditional blocks, the keyword registry and the section
 * parser that turn files into the immutable records of this package. Runs once per load or reload on the thread
 * that asked for it, never on an event loop; it may read files ({@code -f} pattern files) and resolve host names.
 */
package dev.tether.config;
