package org.postern; public class Postern { public static void main(String[] a){} }
