/** The command line (picocli): serve, demo, apply, trace, explain. Commands only parse, call and print. */
package org.postern.cli;
