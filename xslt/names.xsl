<?xml version="1.0" encoding="UTF-8"?>
<!--
  Names, terms, dates and numbers: marked with their kind and with what they point to (a register entry, a date in
  ISO form), so that the site can link them and readers can find every mention.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- data-ref holds register ids, not links: where a register entry is published is the site builder's
       decision. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'name'"/>
          <xsl:with-param name="tokens">
            <xsl:choose>
              <xsl:when test="self::tei:persName">person</xsl:when>
              <xsl:when test="self::tei:placeName">place</xsl:when>
              <xsl:when test="self::tei:orgName">org</xsl:when>
              <xsl:otherwise><xsl:value-of select="@type"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x>
          <xsl:attribute name="data-ref">
            <xsl:call-template name="pointer-ids">
              <xsl:with-param name="pointers" select="@ref"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A term or glossed word: a mention of a glossary entry when it points to one (TEI from elsewhere points
       with gloss/@target, which the builder turns into the @ref read here), its own class either way. -->
  <xsl:template match="tei:term | tei:gloss">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="local-name()"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x>
          <xsl:attribute name="data-ref">
            <xsl:call-template name="pointer-ids">
              <xsl:with-param name="pointers" select="@ref"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- HTML's <time> needs a machine-readable value, which only @when gives, and HTML admits fewer forms than
       TEI's (no time of day with a zone but no date, no date with a zone): a @when that HTML would reject is
       kept in data-when on a span. A range or an approximate date keeps its bounds as data attributes. -->
  <xsl:template match="tei:date | tei:time">
    <xsl:variable name="when" select="normalize-space(@when)"/>
    <xsl:variable name="shape" select="concat(' ', translate($when, '0123456789', '9999999999'), ' ')"/>
    <xsl:variable name="html-datetime" select="$when and contains(concat(
        ' 9999 9999-99 9999-99-99 --99-99 99:99 99:99:99',
        ' 9999-99-99T99:99 9999-99-99T99:99Z 9999-99-99T99:99+99:99 9999-99-99T99:99-99:99',
        ' 9999-99-99T99:99:99 9999-99-99T99:99:99Z 9999-99-99T99:99:99+99:99 9999-99-99T99:99:99-99:99 '),
        $shape)"/>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="$html-datetime">time</xsl:when>
          <xsl:otherwise>span</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class" select="local-name()"/>
      <xsl:with-param name="attributes">
        <x data-from="{@from}" data-to="{@to}" data-not-before="{@notBefore}" data-not-after="{@notAfter}">
          <xsl:choose>
            <xsl:when test="$html-datetime">
              <xsl:attribute name="datetime"><xsl:value-of select="$when"/></xsl:attribute>
            </xsl:when>
            <xsl:otherwise>
              <xsl:attribute name="data-when"><xsl:value-of select="$when"/></xsl:attribute>
            </xsl:otherwise>
          </xsl:choose>
        </x>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:num">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="normalize-space(@value)">data</xsl:when>
          <xsl:otherwise>span</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'num'"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x value="{normalize-space(@value)}"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
