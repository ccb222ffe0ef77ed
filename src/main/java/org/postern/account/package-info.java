/**
 * Accounts and API tokens: who may log in to the console (and, later, authenticate for submission), with which role
 * and for which tenant. Passwords are Argon2id hashes, tokens SHA-256 digests; neither is ever stored in clear.
 * Knows nothing of HTTP or SMTP.
 */
package org.postern.account;
