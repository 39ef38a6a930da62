<?xml version="1.0" encoding="UTF-8"?>
<!--
  The one entry point: one TEI document in, the HTML fragment of its text in one view out (<div
  class="tei-text view-diplomatic"> or "view-reading", then the notes). Each module holds the rules of one concern and every TEI element has its rule in exactly one
  of them; behaviours.xsl holds the shared vocabulary they call. The modules are not stylesheets of their
  own: they call each other's named templates and read the parameter below, through this file.

  Import order is precedence order: the default comes first so that any rule overrides it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:import href="default.xsl"/>
  <xsl:import href="behaviours.xsl"/>
  <xsl:import href="structure.xsl"/>
  <xsl:import href="pages.xsl"/>
  <xsl:import href="stamps.xsl"/>
  <xsl:import href="signs.xsl"/>
  <xsl:import href="notes.xsl"/>
  <xsl:import href="names.xsl"/>
  <xsl:import href="tables.xsl"/>

  <!-- XML, not HTML, so the result can be parsed again (search index, tests); behaviours.xsl makes sure no
       element is written self-closed where HTML would misread it. -->
  <xsl:output method="xml" omit-xml-declaration="yes" encoding="UTF-8" indent="no"/>

  <!-- The prefix of the ids the stylesheet makes (pages, paragraphs and notes without xml:id). -->
  <xsl:param name="document-id" select="string(/tei:TEI/@xml:id)"/>

  <!-- Which view of the text to render: 'diplomatic' (as on the paper: the source's spelling and abbreviations,
       deletions, surplus and line breaks, the editors' readings in tooltips) or 'reading' (clean running text:
       corrections, expansions and regularisations applied, deletions and surplus left out, lines run on, the
       source's readings in tooltips). Any other value renders the diplomatic view, with a warning. A top-level
       parameter is global to the whole stylesheet, imported modules included. -->
  <xsl:param name="view" select="'diplomatic'"/>

</xsl:stylesheet>
