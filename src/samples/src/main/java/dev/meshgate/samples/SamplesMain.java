package dev.meshgate.samples; public class SamplesMain { public static void main(String[] a) {} }
