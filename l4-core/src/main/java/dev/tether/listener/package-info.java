/**
 * Listening sockets: binding every address and port of every frontend (one SO_REUSEPORT socket per event loop on
 * native transports), connection limits that pause accepting, and the hand-over of accepted channels to sessions.
 * Binding runs on the starting thread; accept handling on each listener's event loop.
 */
package dev.tether.listener;
