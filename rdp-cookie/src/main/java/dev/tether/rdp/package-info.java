/**
 * Remote Desktop persistence: RDP cookie and connection-broker routing-token fetches, balancing and rdp-check. Arrives with the RDP work.
 */
package dev.tether.rdp;
