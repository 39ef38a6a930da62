<?xml version="1.0" encoding="UTF-8"?>
<!--
  Stamps on the paper (received, filed, declassified, review...). A stamp is shown as such in words, with a
  visible label naming its kind (and saying so when the stamp was added later, inside an add), not by colour
  or border alone. The reading view keeps every stamp where it
  stands, classed "marginal" so that the page's stylesheet can set it aside.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:template match="tei:stamp">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'stamp'"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
        <xsl:if test="$view = 'reading'"> marginal</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x data-when="{@when}"/>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:call-template name="make-label">
          <xsl:with-param name="text">
            <xsl:variable name="added-later" select="parent::tei:add[not(text()[normalize-space()])]"/>
            <xsl:text>Stamp</xsl:text>
            <xsl:choose>
              <xsl:when test="normalize-space(@type) and $added-later">
                <xsl:value-of select="concat(' (', normalize-space(@type), ', added later)')"/>
              </xsl:when>
              <xsl:when test="normalize-space(@type)">
                <xsl:value-of select="concat(' (', normalize-space(@type), ')')"/>
              </xsl:when>
              <xsl:when test="$added-later"> (added later)</xsl:when>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:text> </xsl:text>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
