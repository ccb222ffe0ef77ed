/**
 * The admin listener: REST API ({@link org.postern.admin.AdminApi}), server-rendered console
 * ({@link org.postern.admin.Console}), health and Prometheus metrics. The console's pages are jte templates from
 * src/main/jte, precompiled into this package at build time and escaped by jte's Html content type
 * ({@link org.postern.admin.Views}). Every route is a {@link org.postern.admin.Route} in one table;
 * {@link org.postern.admin.Access} authorizes every request in one place from the route's scope, and the OpenAPI
 * document is generated from the same table. Uses the services the CLI uses (tenant catalog, trace, quarantine,
 * explainer); decides nothing about mail itself.
 */
package org.postern.admin;
