<?xml version="1.0" encoding="UTF-8"?>
<!--
  The explicit fallback, imported first so that every other rule overrides it: an element without a rule of
  its own (a TEI element the edition does not style yet, or an element of another namespace) is never
  dropped. Its text and children are kept, in a block or a span by the same list that governs the other
  rules, and its class names it, so that the gap is visible in the page and easy to find.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:template match="*">
    <xsl:variable name="block" select="namespace-uri() = 'http://www.tei-c.org/ns/1.0'
        and contains($block-elements, concat(' ', local-name(), ' '))"/>
    <xsl:variable name="attributes">
      <x>
        <xsl:if test="namespace-uri() != 'http://www.tei-c.org/ns/1.0'">
          <xsl:attribute name="data-namespace"><xsl:value-of select="namespace-uri()"/></xsl:attribute>
        </xsl:if>
      </x>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$block">
        <xsl:call-template name="make-block">
          <xsl:with-param name="class" select="concat('tei-', local-name())"/>
          <xsl:with-param name="attributes" select="$attributes"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-inline">
          <xsl:with-param name="class" select="concat('tei-', local-name())"/>
          <xsl:with-param name="attributes" select="$attributes"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
