/** Sluice: an HTTP/1.1 server on java.nio selectors. */
package io.sluice;
