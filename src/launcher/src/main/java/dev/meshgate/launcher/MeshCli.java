package dev.meshgate.launcher; public class MeshCli { public static void main(String[] a) {} }
