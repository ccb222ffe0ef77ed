/**
 * Outbound mail as tenants send it: DKIM keys (generated, sealed in the store) and signing with them. Delivery to
 * the internet itself (MX, MTA-STS, REQUIRETLS, DSN, pools) is in {@code queue}, next to the other delivery agents.
 */
package org.postern.outbound;
