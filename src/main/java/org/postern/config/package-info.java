/** The operator's configuration file: embedded defaults, the operator's file merged over them, strict validation. */
package org.postern.config;
