<?xml version="1.0" encoding="UTF-8"?>
<!--
  The explicit fallback, imported first so that every other rule overrides it: an element without a rule of
  its own (a TEI element the edition does not style yet, or an element of another namespace) is never
  dropped. Its text and children are kept, in a block or a span by the same list that governs the other
  rules, and its class names it, so that the gap is visible in the page and easy to find: "tei-speaker" for a
  TEI element, "ns-flag" (its namespace in data-namespace) for another, so that an element of another
  vocabulary that shares a TEI name (svg:text) is never taken for the TEI one (the root's "tei-text").
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:template match="*">
    <xsl:variable name="tei" select="namespace-uri() = 'http://www.tei-c.org/ns/1.0'"/>
    <xsl:variable name="block" select="$tei and contains($block-elements, concat(' ', local-name(), ' '))"/>
    <xsl:variable name="class">
      <xsl:choose>
        <xsl:when test="$tei"><xsl:value-of select="concat('tei-', local-name())"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="concat('ns-', local-name())"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="attributes">
      <x>
        <xsl:if test="not($tei)">
          <xsl:attribute name="data-namespace"><xsl:value-of select="namespace-uri()"/></xsl:attribute>
        </xsl:if>
      </x>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$block">
        <xsl:call-template name="make-block">
          <xsl:with-param name="class" select="$class"/>
          <xsl:with-param name="attributes" select="$attributes"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-inline">
          <xsl:with-param name="class" select="$class"/>
          <xsl:with-param name="attributes" select="$attributes"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
